using System.Net;
using System.Net.Sockets;

namespace Playground.Tests;

/// <summary>Serves a folder on 127.0.0.1 (a free port), as `python3 -m http.server` would, with the types Blazor needs.</summary>
public sealed class StaticFileServer : IDisposable
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript", [".mjs"] = "text/javascript",
        [".css"] = "text/css", [".json"] = "application/json", [".wasm"] = "application/wasm", [".png"] = "image/png",
    };

    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _loop;

    public StaticFileServer(string root)
    {
        _root = Path.GetFullPath(root);
        int port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public void Dispose()
    {
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Respond(context));
        }
    }

    private void Respond(HttpListenerContext context)
    {
        using var response = context.Response;
        string relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
        string path = Path.GetFullPath(Path.Combine(_root, relative.Length == 0 ? "index.html" : relative));
        // Nothing outside the folder, whatever the request says.
        if (!path.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(path))
        {
            response.StatusCode = 404;
            return;
        }
        response.ContentType = Types.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
        var bytes = File.ReadAllBytes(path);
        response.ContentLength64 = bytes.Length;
        try { response.OutputStream.Write(bytes); } catch (HttpListenerException) { }
    }
}
