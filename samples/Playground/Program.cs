using System.Runtime.InteropServices.JavaScript;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

// The app is a page: every JavaScript call in it is browser-only by nature.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("browser")]

// WebAssembly here has one thread: say so explicitly rather than rely on the worker team's fallback.
NeuralNets.Parallelism.MaxThreads = 1;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<Playground.Pages.PlaygroundPage>("#app");
// The module path is relative to _framework/, where the runtime's own scripts live.
await JSHost.ImportAsync(Playground.Interop.Canvas.Module, "../js/playground.js");
await builder.Build().RunAsync();
