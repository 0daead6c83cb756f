namespace Symtrain.Client.Tests.Users;

/// <summary>A prefix, then the same bytes for ever (a 256 MiB field, or a file that never ends); counts what was read.</summary>
internal sealed class EndlessStream(byte[] prefix, byte[] repeated) : Stream
{
    public EndlessStream(byte[] prefix, byte filler)
        : this(prefix, Enumerable.Repeat(filler, 4096).ToArray())
    {
    }

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (BytesRead > 256L * 1024 * 1024)
        {
            return 0; // The reader never stopped: end the test instead of running out of memory.
        }

        for (var i = 0; i < count; i++)
        {
            var position = BytesRead + i;
            buffer[offset + i] = position < prefix.Length ? prefix[position] : repeated[(position - prefix.Length) % repeated.Length];
        }

        BytesRead += count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
