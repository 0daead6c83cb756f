namespace TrainingApis.Core.Http;

/// <summary>
/// A response body read within the call's budget. The library's timeouts end when the headers arrive, so a body that
/// stalls would otherwise be read with the caller's token alone: here every read must receive bytes within
/// <c>idleTimeout</c> and, for a buffered call, the whole body must arrive before its <c>deadline</c>. Either one
/// ends the read with <see cref="TimeoutException"/>; the caller's cancellation stays an <see cref="OperationCanceledException"/>
/// of the caller's token.
/// </summary>
internal sealed class BoundedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeoutSources _timeouts;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeSpan _deadline;
    private readonly CancellationToken _caller;
    private readonly HttpRequestMessage _request;
    private readonly string _serviceName;
    private readonly ApiClientOptions _options;
    private readonly long _started;
    private TimeoutSources.Scope _total;

    /// <param name="inner">The body stream.</param>
    /// <param name="timeouts">The timeout sources, on the client's clock.</param>
    /// <param name="request">The request, as messages name it (operation, method, host and path, no query).</param>
    /// <param name="serviceName">The service, e.g. <c>Symtrain</c>.</param>
    /// <param name="options">The options that bound the call: every read waits at most their <c>AttemptTimeout</c> for bytes.</param>
    /// <param name="started">When the call began (a timestamp of the client's clock), for the time messages state.</param>
    /// <param name="deadline">The time left for the whole body (infinite for none); starts now.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    public BoundedReadStream(Stream inner, TimeoutSources timeouts, HttpRequestMessage request, string serviceName, ApiClientOptions options, long started, TimeSpan deadline, CancellationToken cancellationToken)
    {
        _inner = inner;
        _timeouts = timeouts;
        _idleTimeout = options.AttemptTimeout;
        _deadline = deadline == Timeout.InfiniteTimeSpan || deadline > TimeSpan.Zero ? deadline : TimeSpan.FromTicks(1);
        _caller = cancellationToken;
        _request = request;
        _serviceName = serviceName;
        _options = options;
        _started = started;
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
            var elapsed = _timeouts.TimeProvider.GetElapsedTime(_started);
            throw new TimeoutException(
                idle.TimedOut
                    ? TimeoutMessage.Create(_serviceName, _request, elapsed, $"no bytes of the response body arrived for AttemptTimeout ({TimeoutMessage.Seconds(_idleTimeout)}), which bounds every wait for bytes", _options, "AttemptTimeout")
                    : TimeoutMessage.Create(_serviceName, _request, elapsed, $"the response body was still arriving when the call's Timeout ran out ({TimeoutMessage.Seconds(_deadline)} were left when its headers came)", _options, "Timeout"),
                ex);
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken != _caller && _caller.IsCancellationRequested)
        {
            // The read ran on this stream's own token: the caller sees its own cancellation, not an internal token.
            throw new OperationCanceledException(ex.Message, ex, _caller);
        }
        catch (OperationCanceledException ex) when (ex.CancellationToken != cancellationToken && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(ex.Message, ex, cancellationToken);
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
