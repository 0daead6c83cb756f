using Spectre.Console;

namespace TrainingApis.Cli.Output;

/// <summary>One line of a <see cref="ProgressView"/>: a bar on a terminal, a status line per step when redirected.</summary>
internal sealed class ProgressLine
{
    private readonly ProgressView _view;
    private readonly string _name;
    private readonly ProgressTask? _task;

    internal ProgressLine(ProgressView view, string name, ProgressTask? task)
    {
        _view = view;
        _name = name;
        _task = task;
    }

    /// <summary>Shows a detail that changes often (a row count): on a terminal only.</summary>
    public void Detail(string text)
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape($"{_name}  {text}");
        }
    }

    /// <summary>Finishes one step and says what it did.</summary>
    public void Step(string text, int steps = 1)
    {
        Detail(text);
        _task?.Increment(steps);
        _view.Plain($"{_name}: {text}");
    }

    /// <summary>Sets how far the line is, in steps.</summary>
    public void SetValue(double value)
    {
        if (_task is not null)
        {
            _task.Value = Math.Min(value, _task.MaxValue);
        }
    }

    /// <summary>Completes the line.</summary>
    public void Done(string text)
    {
        Detail(text);
        if (_task is not null)
        {
            _task.Value = _task.MaxValue;
            _task.StopTask();
        }

        _view.Plain($"{_name}: {text}");
    }
}
