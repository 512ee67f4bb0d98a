using System;
using TeachOS;

/// <summary>
/// What an image's configuration says about running it (image-spec config.md, the `config` member):
/// Entrypoint and Cmd (the command is Entrypoint followed by Cmd, or by the command given to `ctr run`),
/// Env ("NAME=value" strings: the environment ctr run and ctr exec give the command, with execve),
/// WorkingDir, and TeachOS's Hostname.
/// </summary>
public sealed class ImageConfig
{
    public string[] Entrypoint = new string[0];
    public string[] Cmd = new string[0];
    public string[] Env = new string[0];
    public string WorkingDir = "/";
    public string Hostname;

    public static ImageConfig Read(string path, out string problem)
    {
        problem = null;
        int length;
        byte[] bytes = WholeFile.Read(path, out length, out problem);
        if (bytes == null) return null;
        string error;
        JsonValue root = JsonReader.Parse(bytes, length, out error);
        if (root == null) { problem = path + ": malformed JSON: " + error; return null; }
        var config = new ImageConfig();
        JsonValue run = root.Member("config");
        if (run == null) return config;
        JsonValue entrypoint = run.ArrayMember("Entrypoint"), cmd = run.ArrayMember("Cmd");
        if (entrypoint != null && (config.Entrypoint = entrypoint.ToStringArray()) == null) { problem = path + ": Entrypoint is not a list of strings"; return null; }
        if (cmd != null && (config.Cmd = cmd.ToStringArray()) == null) { problem = path + ": Cmd is not a list of strings"; return null; }
        JsonValue env = run.ArrayMember("Env");
        if (env != null && (config.Env = env.ToStringArray()) == null) { problem = path + ": Env is not a list of strings"; return null; }
        for (int i = 0; i < config.Env.Length; i++)
            if (config.Env[i].IndexOf('=') <= 0) { problem = path + ": Env \"" + config.Env[i] + "\" is not NAME=value"; return null; }
        config.WorkingDir = run.StringMember("WorkingDir") ?? "/";
        config.Hostname = run.StringMember("Hostname");
        return config;
    }

    /// <summary>The command to run: Entrypoint, then the given command, or Cmd when none is given.</summary>
    public string[] CommandFor(string[] given)
    {
        string[] tail = given.Length > 0 ? given : Cmd;
        string[] command = new string[Entrypoint.Length + tail.Length];
        for (int i = 0; i < Entrypoint.Length; i++) command[i] = Entrypoint[i];
        for (int i = 0; i < tail.Length; i++) command[Entrypoint.Length + i] = tail[i];
        return command;
    }
}
