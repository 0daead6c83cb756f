namespace Symtrain.Client.Internal;

/// <summary>Forwards to a caller's handler without disposing it when the client is disposed.</summary>
internal sealed class NonDisposingHandler : HttpMessageHandler
{
    private readonly HttpMessageInvoker _invoker;

    public NonDisposingHandler(HttpMessageHandler inner)
    {
        _invoker = new HttpMessageInvoker(inner, disposeHandler: false);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _invoker.SendAsync(request, cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _invoker.Dispose();
        }

        base.Dispose(disposing);
    }
}
