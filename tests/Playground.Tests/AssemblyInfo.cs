// One test at a time: the browser test measures redraws per second and the native test epochs per second,
// and either would measure the other if they ran together. The engine tests take about a second in all.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
