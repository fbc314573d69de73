using System.Diagnostics;
using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Playground.Engine;

namespace Playground.Tests;

/// <summary>The published page in headless chromium: it trains, it follows its controls and its URL, and it looks right.</summary>
public class BrowserTests(BrowserSession browser) : IClassFixture<BrowserSession>
{
    private static double Number(string text) => double.Parse(text.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static double[] History(BrowserSession browser) =>
        browser.Driver.FindElement(By.Id("loss-chart")).GetAttribute("data-test-losses")!
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Number).ToArray();

    [Fact]
    public void Play_on_two_spirals_brings_the_displayed_test_loss_under_the_bound()
    {
        Assert.SkipUnless(BrowserSession.Available, "chromium and chromium-driver are not installed (.ci/run installs them)");
        browser.Open(NativeSpeedTests.Query);
        Number(browser.Text("epoch")).Should().Be(0);
        browser.Driver.FindElement(By.Id("play")).Click();

        // Watch the displayed numbers as a student would, until the loss is under the bound or the epochs run out.
        var clock = Stopwatch.StartNew();
        int reachedAt = -1;
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            // The loss first: the epoch read after it is then an upper bound on the epoch it belongs to.
            double loss = Number(browser.Text("test-loss")), epoch = Number(browser.Text("epoch"));
            if (loss < NativeSpeedTests.LossBound) { reachedAt = (int)epoch; break; }
            if (epoch > NativeSpeedTests.EpochBound) break;
            Thread.Sleep(50);
        }
        var history = History(browser);
        int firstUnder = Array.FindIndex(history, l => l < NativeSpeedTests.LossBound);
        firstUnder.Should().BeInRange(1, NativeSpeedTests.EpochBound, "the test loss should fall under the bound within the stated epochs");
        reachedAt.Should().BeGreaterThan(0, "the page should display a test loss under the bound");

        // Keep playing a while: the rates are measured over one-second windows, read three times. The machine
        // running CI is shared, so the page must reach 20 redraws a second in its best window, not in every one.
        var redraws = new List<double>();
        for (int i = 0; i < 3; i++)
        {
            Thread.Sleep(1100);
            redraws.Add(Number(browser.Text("redraws")));
        }
        double epochsPerSecond = Number(browser.Text("epochs-per-second"));
        double trainingEpochsPerSecond = Number(browser.Text("training-epochs-per-second"));
        string costs = browser.Text("frame-costs");
        browser.Driver.FindElement(By.Id("show-test")).Click();
        browser.Driver.FindElement(By.Id("play")).Click();
        browser.Wait(TimeSpan.FromSeconds(10)).Until(d => d.FindElement(By.Id("play")).Text == "▶");
        string screenshot = Path.Combine(browser.Page.RepositoryRoot, "docs", "images", "playground.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        browser.Driver.GetScreenshot().SaveAsFile(screenshot);

        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"page: test loss under {NativeSpeedTests.LossBound} at epoch {firstUnder} (displayed at {reachedAt}); {string.Join(" / ", redraws)} redraws/s, {epochsPerSecond:F1} epochs/s, {trainingEpochsPerSecond:F1} epochs/s of training alone; frame {costs}"));
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
        redraws.Max().Should().BeGreaterThanOrEqualTo(20, "training runs in slices between frames");
    }

    [Fact]
    public void Changing_the_optimizer_changes_the_curve_and_the_url()
    {
        Assert.SkipUnless(BrowserSession.Available, "chromium and chromium-driver are not installed (.ci/run installs them)");
        browser.Open(NativeSpeedTests.Query);
        var adam = StepEpochs(5);

        browser.Driver.FindElement(By.CssSelector("#optimizer option[value=nesterov]")).Click();
        browser.Wait(TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("opt=nesterov", StringComparison.Ordinal));
        var nesterov = StepEpochs(5);

        nesterov[0].Should().Be(adam[0], "the same seed gives the same initial network");
        nesterov.Skip(1).Should().NotEqual(adam.Skip(1), "another optimizer takes other steps");

        // The page computes what the library computes natively, up to float rounding (WebAssembly has no 256-bit vectors).
        var native = new TrainingSession(ConfigUrl.Decode(NativeSpeedTests.Query));
        for (int e = 0; e < 5; e++) native.RunEpoch();
        for (int e = 0; e <= 5; e++) adam[e].Should().BeApproximately(native.TestLoss[e], 2e-3, $"epoch {e}");

        // The URL now names the whole configuration; opening it again restores the optimizer.
        string url = browser.Driver.Url;
        ConfigUrl.Decode(new Uri(url).Query).Should().Be(ConfigUrl.Decode(NativeSpeedTests.Query) with { Optimizer = OptimizerKind.Nesterov });
        browser.Driver.Navigate().GoToUrl(url);
        browser.Wait(TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.Id("optimizer")).Count > 0);
        browser.Driver.FindElement(By.Id("optimizer")).GetDomProperty("value").Should().Be("nesterov");
        browser.Driver.FindElements(By.CssSelector("canvas.node")).Should().HaveCount(2 + 8 + 8 + 1);
    }

    [Fact]
    public void Controls_rebuild_the_network_and_the_schedule_sets_eta()
    {
        Assert.SkipUnless(BrowserSession.Available, "chromium and chromium-driver are not installed (.ci/run installs them)");
        browser.Open(NativeSpeedTests.Query);
        int Nodes() => browser.Driver.FindElements(By.CssSelector("canvas.node")).Count;
        Nodes().Should().Be(2 + 8 + 8 + 1);

        browser.Driver.FindElement(By.Id("data-xor")).Click();
        browser.Wait(TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("data=xor", StringComparison.Ordinal));
        browser.Driver.FindElement(By.Id("add-layer")).Click();
        browser.Wait(TimeSpan.FromSeconds(10)).Until(_ => Nodes() == 2 + 8 + 8 + 8 + 1);
        browser.Driver.FindElement(By.Id("feature-sinx1")).Click();
        browser.Wait(TimeSpan.FromSeconds(10)).Until(_ => Nodes() == 3 + 8 + 8 + 8 + 1);
        browser.Driver.Url.Should().Contain("layers=8,8,8").And.Contain("features=x1,x2,sinx1");

        // Exponential decay with factor 0.5: η is 0.03 in epoch 1 and 0.015 in epoch 2.
        browser.Driver.FindElement(By.CssSelector("#schedule option[value=exponential]")).Click();
        browser.Wait(TimeSpan.FromSeconds(10)).Until(d => d.Url.Contains("sched=exponential", StringComparison.Ordinal));
        StepEpochs(2);
        browser.Text("eta").Should().Be("0.015");
        browser.Driver.FindElements(By.Id("failure")).Should().BeEmpty();
        browser.Driver.FindElement(By.Id("blazor-error-ui")).Displayed.Should().BeFalse("no unhandled exception reached the page");
    }

    private double[] StepEpochs(int epochs)
    {
        for (int e = 1; e <= epochs; e++)
        {
            browser.Driver.FindElement(By.Id("step")).Click();
            int expected = e;
            browser.Wait(TimeSpan.FromSeconds(10)).Until(_ => Number(browser.Text("epoch")) == expected);
        }
        return History(browser);
    }
}
