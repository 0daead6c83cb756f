namespace TrainingApis.Core.Http;

/// <summary>
/// A response body read within the call's budget. The library's timeouts end when the headers arrive, so a body that
/// stalls would otherwise be read with the caller's token alone: here every read must receive bytes within
/// <c>idleTimeout</c> and, for a buffered call, the whole body must arrive before its <c>deadline</c>. Either one
/// ends the read with <see cref="TimeoutException"/>; the caller's cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeoutSources _timeouts;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _deadline;
    private readonly CancellationToken _caller;
    private readonly string _what;
    private TimeoutSources.Scope _total;

    /// <param name="inner">The body stream.</param>
    /// <param name="timeouts">The timeout sources, on the client's clock.</param>
    /// <param name="idleTimeout">The longest wait for bytes in one read (infinite for none).</param>
    /// <param name="deadline">The time left for the whole body (infinite for none); starts now.</param>
    /// <param name="what">The request, as messages name it (method and path, no query).</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public BoundedReadStream(Stream inner, TimeoutSources timeouts, TimeSpan idleTimeout, TimeSpan deadline, string what, CancellationToken cancellationToken)
    {
        _inner = inner;
        _timeouts = timeouts;
        _idleTimeout = idleTimeout;
        _deadline = deadline == Timeout.InfiniteTimeSpan || deadline > TimeSpan.Zero ? deadline : TimeSpan.FromTicks(1);
        _caller = cancellationToken;
        _what = what;
        _total = timeouts.Start(_deadline, cancellationToken);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The readers pass the caller's token; any other one is honoured too.
        using var other = cancellationToken.CanBeCanceled && cancellationToken != _caller
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _total.Token)
            : null;
        using var idle = _timeouts.Start(_idleTimeout, other?.Token ?? _total.Token);
        try
        {
            return await _inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!_caller.IsCancellationRequested && !cancellationToken.IsCancellationRequested && (idle.TimedOut || _total.TimedOut))
        {
            throw new TimeoutException(
                idle.TimedOut
                    ? $"{_what}: no bytes of the response arrived within {_idleTimeout} (AttemptTimeout). Raise AttemptTimeout if the service is slow."
                    : $"{_what}: the response did not arrive within the call's budget ({_deadline} left when its headers came; Timeout). Raise Timeout if the service is slow.",
                ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, _caller).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _total.Dispose();
            _total = default;
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _total.Dispose();
        _total = default;
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
