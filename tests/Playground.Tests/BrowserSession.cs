using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Playground.Tests;

/// <summary>
/// Debian's chromium, headless, driven through Debian's chromedriver: both named by path, so that Selenium
/// never looks for (or downloads) a browser of its own. Serves the published page for the tests of one class.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    public const string Chromium = "/usr/bin/chromium", ChromeDriver = "/usr/bin/chromedriver";

    private readonly Lazy<PublishedPage> _page = new(() => new PublishedPage());
    private readonly Lazy<ChromeDriver> _driver = new(Start);

    /// <summary>Whether the browser is installed (.ci/run installs it; elsewhere the browser tests skip).</summary>
    public static bool Available => File.Exists(Chromium) && File.Exists(ChromeDriver);

    public PublishedPage Page => _page.Value;

    public ChromeDriver Driver => _driver.Value;

    /// <summary>Opens the page with <paramref name="query"/> and waits until the runtime has drawn it.</summary>
    public void Open(string query)
    {
        Driver.Navigate().GoToUrl(Page.Server.BaseUrl + "?" + query);
        Wait(TimeSpan.FromSeconds(60)).Until(d => d.FindElements(By.Id("play")).Count > 0);
    }

    public WebDriverWait Wait(TimeSpan timeout) => new(Driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(50) };

    public string Text(string id) => Driver.FindElement(By.Id(id)).Text;

    public void Dispose()
    {
        if (_driver.IsValueCreated) _driver.Value.Quit();
        if (_page.IsValueCreated) _page.Value.Dispose();
    }

    private static ChromeDriver Start()
    {
        var options = new ChromeOptions { BinaryLocation = Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1440,900",
            "--hide-scrollbars", "--disable-background-timer-throttling", "--disable-renderer-backgrounding");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
