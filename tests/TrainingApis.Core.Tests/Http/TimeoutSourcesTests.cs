using TrainingApis.Core.Http;
using TrainingApis.Testing;

namespace TrainingApis.Core.Tests.Http;

public sealed class TimeoutSourcesTests
{
    [Fact]
    public void A_rented_source_cancels_after_its_delay_on_the_given_clock()
    {
        var time = FakeTime.Create();
        var sources = new TimeoutSources(time);

        var source = sources.Rent(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9));
        var before = source.IsCancellationRequested;
        time.Advance(TimeSpan.FromSeconds(1));

        before.Should().BeFalse();
        source.IsCancellationRequested.Should().BeTrue();
    }

    [Fact]
    public void On_the_system_clock_a_source_given_back_uncancelled_is_reused_without_its_old_registrations()
    {
        var sources = new TimeoutSources(TimeProvider.System);
        var first = sources.Rent(TimeSpan.FromHours(1));
        var called = false;
        first.Token.Register(() => called = true);

        sources.Return(first);
        var second = sources.Rent(TimeSpan.FromHours(1));
        var cancelledAtOnce = second.IsCancellationRequested;
        second.Cancel();

        second.Should().BeSameAs(first);
        cancelledAtOnce.Should().BeFalse();
        called.Should().BeFalse("the previous user's registration was dropped when the source came back");
    }

    [Fact]
    public void On_another_clock_a_source_given_back_is_disposed_because_its_timer_cannot_be_stopped_for_reuse()
    {
        var time = FakeTime.Create();
        var sources = new TimeoutSources(time);
        var first = sources.Rent(TimeSpan.FromSeconds(10));

        sources.Return(first);
        var second = sources.Rent(TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(10));

        second.Should().NotBeSameAs(first);
        first.IsCancellationRequested.Should().BeFalse("its timer went with it");
        second.IsCancellationRequested.Should().BeTrue();
        time.ActiveTimerCount.Should().Be(0);
    }

    [Fact]
    public void A_cancelled_source_is_disposed_not_reused()
    {
        var time = FakeTime.Create();
        var sources = new TimeoutSources(time);
        var first = sources.Rent(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1));

        sources.Return(first);
        var second = sources.Rent(TimeSpan.FromSeconds(1));

        second.Should().NotBeSameAs(first);
        second.IsCancellationRequested.Should().BeFalse();
        FluentActions.Invoking(() => first.Token.WaitHandle).Should().Throw<ObjectDisposedException>();
    }
}
