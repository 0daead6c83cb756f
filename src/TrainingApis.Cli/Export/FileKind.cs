using System.Runtime.InteropServices;

namespace TrainingApis.Cli.Export;

/// <summary>
/// What kind of file system entry a path is, without following a symbolic link. .NET reports a named pipe or a device
/// as an ordinary file, so on Unix the runtime's own <c>lstat</c> shim (System.Native, shipped with every .NET runtime)
/// is asked; its <c>FileStatus</c> starts with two 32-bit fields, flags then mode.
/// </summary>
internal static partial class FileKind
{
    private const int TypeMask = 0xF000;

    /// <summary>What <paramref name="path"/> is when it exists and is neither a regular file nor a folder ("a symbolic link", "a named pipe (FIFO)", …); else null.</summary>
    public static string? NotRegular(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var info = new FileInfo(path);
            return !info.Exists && !Directory.Exists(path) ? null
                : info.Attributes.HasFlag(FileAttributes.ReparsePoint) ? "a symbolic link"
                : info.Attributes.HasFlag(FileAttributes.Device) ? "a device"
                : null;
        }

        var status = new byte[256]; // FileStatus is about 130 bytes; only its first 8 are read
        try
        {
            if (LStat(path, status) != 0)
            {
                return null; // missing (or unreadable: opening it reports that)
            }
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // The shim is the runtime's, not a public API: should a runtime drop it, links are still told by the public API.
            return new FileInfo(path).LinkTarget is not null ? "a symbolic link" : null;
        }

        return (BitConverter.ToInt32(status, 4) & TypeMask) switch
        {
            0xA000 => "a symbolic link",
            0x1000 => "a named pipe (FIFO)",
            0x2000 or 0x6000 => "a device",
            0xC000 => "a socket",
            _ => null, // 0x8000 regular file, 0x4000 folder
        };
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, [Out] byte[] status);
}
