using System;
using Abi;
using TeachOS;

/// <summary>
/// httpd [-n COUNT] [PORT] [DIR]: a tiny HTTP/1.0 server. It listens on PORT (default 8080) and answers
/// each `GET /path` with the file DIR/path (default DIR /var/www; a directory gives its index.html),
/// read-only: 200 with the bytes, 404 when there is no such file, 403 for a path that climbs out of DIR
/// with "..", 405 for any method but GET and HEAD, 400 for what is not HTTP. One connection at a time,
/// closed after the answer (HTTP/1.0's way). Each request is logged on standard error. With -n it
/// stops after COUNT requests (the tests use it). Try it from the host: `make run` forwards the host's
/// port 8080 to the guest's (README), so `httpd` in TeachOS and `curl localhost:8080` on the host.
/// </summary>
public static class HttpdProgram
{
    private const int RequestLimit = 2048;

    public static int Main(string[] args)
    {
        int port = 8080, count = -1;
        string root = "/var/www";
        bool portGiven = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "-n" && i + 1 < args.Length && int.TryParse(args[i + 1], out count) && count > 0) i++;
            else if (!portGiven && int.TryParse(args[i], out port)) portGiven = true;
            else if (args[i].Length > 0 && args[i][0] == '/') root = args[i];
            else { Console.Error("usage: httpd [-n COUNT] [PORT] [DIR]\n"); return 2; }
        }
        if (port < 1 || port > 65535) { Console.Error("httpd: port out of range\n"); return 2; }

        long server = Sys.Socket(SocketDomain.Inet, SocketType.Stream, 0);
        long result = server < 0 ? server : Sys.Bind((int)server, 0, port);
        if (result >= 0) result = Sys.Listen((int)server, 8);
        if (result < 0) { Files.ReportError("httpd", "port " + port.ToString(), result); return 1; }
        Console.Error("httpd: serving " + root + " on port " + port.ToString() + "\n");

        for (int served = 0; count < 0 || served < count; served++)
        {
            long connection = Sys.Accept((int)server, out SocketAddress peer);
            if (connection < 0) { Files.ReportError("httpd", "accept", connection); return 1; }
            Serve((int)connection, root, peer);
            Sys.Close((int)connection);
        }
        Sys.Close((int)server);
        return 0;
    }

    private static void Serve(int connection, string root, SocketAddress peer)
    {
        string request = ReadRequest(connection);
        string status = Answer(connection, root, request);
        int lineEnd = request.IndexOf('\r');
        string firstLine = lineEnd >= 0 ? request.Substring(0, lineEnd) : request;
        Console.Error(NetworkText.Address(peer.Address) + " \"" + firstLine + "\" " + status + "\n");
    }

    // The request's head: up to the empty line that ends it, or RequestLimit bytes.
    private static string ReadRequest(int connection)
    {
        byte[] buffer = new byte[RequestLimit];
        int length = 0;
        while (length < RequestLimit)
        {
            long n = Sys.Read(connection, new Span<byte>(buffer, length, RequestLimit - length));
            if (n <= 0) break;
            length += (int)n;
            if (EndsHead(buffer, length)) break;
        }
        char[] text = new char[length];
        for (int i = 0; i < length; i++) text[i] = (char)buffer[i];
        return new string(text);
    }

    private static bool EndsHead(byte[] buffer, int length)
    {
        for (int i = 3; i < length; i++)
            if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') return true;
        return false;
    }

    /// <summary>Sends the answer; returns its status code for the log.</summary>
    private static string Answer(int connection, string root, string request)
    {
        int firstSpace = request.IndexOf(' ');
        int secondSpace = firstSpace < 0 ? -1 : request.IndexOf(' ', firstSpace + 1);
        if (secondSpace < 0) return Error(connection, "400 Bad Request");
        string method = request.Substring(0, firstSpace);
        string path = request.Substring(firstSpace + 1, secondSpace - firstSpace - 1);
        if (method != "GET" && method != "HEAD") return Error(connection, "405 Method Not Allowed");
        if (path.Length == 0 || path[0] != '/') return Error(connection, "400 Bad Request");
        // A ".." segment would climb out of the served directory (/var/www/../../etc/passwd): refused,
        // before the path reaches the file system.
        if (ClimbsOut(path)) return Error(connection, "403 Forbidden");
        string file = root + path;
        long fd = Sys.Open(file, OpenFlags.ReadOnly);
        if (fd >= 0 && Sys.FileStatus((int)fd, out FileStatus status) == 0 && status.Kind == 2)
        {
            Sys.Close((int)fd);
            file = file + (file[file.Length - 1] == '/' ? "" : "/") + "index.html";
            fd = Sys.Open(file, OpenFlags.ReadOnly);
        }
        if (fd < 0) return Error(connection, "404 Not Found");
        Sys.FileStatus((int)fd, out FileStatus found);
        Send(connection, "HTTP/1.0 200 OK\r\nContent-Type: " + ContentType(file) + "\r\nContent-Length: " +
            found.Size.ToString() + "\r\nConnection: close\r\n\r\n");
        if (method == "GET") Files.Copy((int)fd, connection);
        Sys.Close((int)fd);
        return "200";
    }

    private static bool ClimbsOut(string path)
    {
        int start = 1;
        for (int i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/') continue;
            if (i - start == 2 && path[start] == '.' && path[start + 1] == '.') return true;
            start = i + 1;
        }
        return false;
    }

    private static string ContentType(string file)
    {
        if (file.EndsWith(".html")) return "text/html";
        return "text/plain";
    }

    private static string Error(int connection, string status)
    {
        string body = status + "\n";
        Send(connection, "HTTP/1.0 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: " + body.Length.ToString() +
            "\r\nConnection: close\r\n\r\n" + body);
        return status.Substring(0, 3);
    }

    private static void Send(int connection, string text)
    {
        byte[] bytes = new byte[text.Length];
        for (int i = 0; i < text.Length; i++) bytes[i] = (byte)text[i];
        Sys.Write(connection, bytes);
    }
}
