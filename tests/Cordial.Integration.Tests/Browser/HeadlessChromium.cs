using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Cordial.Integration.Tests.Browser;

/// <summary>
/// Debian's chromium driven through Debian's chromedriver, headless, with a fresh profile that is deleted on dispose.
/// A missing browser or driver fails the test under CI=true and skips it locally.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string ChromeDriverPath = "/usr/bin/chromedriver";

    private readonly string _profile;

    private HeadlessChromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public ChromeDriver Driver { get; }

    public static HeadlessChromium Start()
    {
        Requirement.Require(File.Exists(ChromiumPath) && File.Exists(ChromeDriverPath),
            $"{ChromiumPath} and {ChromeDriverPath} (Debian packages chromium and chromium-driver; scripts/test.sh installs them)");

        var profile = Path.Combine(Path.GetTempPath(), "cordial-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,860",
            "--user-data-dir=" + profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        try
        {
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(120));
            driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(60);
            driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
            return new HeadlessChromium(driver, profile);
        }
        catch
        {
            service.Dispose();
            DeleteProfile(profile);
            throw;
        }
    }

    /// <summary>Saves a PNG of the current page when CORDIAL_SCREENSHOT_DIR is set (a manual check of the look).</summary>
    public void ScreenshotIfAsked(string name)
    {
        var directory = Environment.GetEnvironmentVariable("CORDIAL_SCREENSHOT_DIR");
        if (string.IsNullOrEmpty(directory))
        {
            return;
        }

        Directory.CreateDirectory(directory);
        Driver.GetScreenshot().SaveAsFile(Path.Combine(directory, name + ".png"));
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        catch (WebDriverException)
        {
            // The browser is already gone; the driver's process is still ended by Dispose.
        }
        finally
        {
            Driver.Dispose();
            DeleteProfile(_profile);
        }
    }

    private static void DeleteProfile(string profile)
    {
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be writing its last files; the folder is in the temp directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
