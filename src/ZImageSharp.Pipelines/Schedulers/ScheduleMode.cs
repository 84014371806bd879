namespace ZImageSharp.Pipelines.Schedulers;

/// <summary>Which diffusers version's Z-Image schedule to build (spec 1.6.1 and 1.6.3).</summary>
public enum ScheduleMode
{
    /// <summary>
    /// diffusers since PR #13730 (and Tongyi's own pipeline): base sigmas <c>linspace(1, 1/n, n)</c> in float32, the
    /// shift in float32. n steps are n transformer calls. Turbo: 8 steps.
    /// </summary>
    Current,

    /// <summary>
    /// diffusers before PR #13730: <c>linspace(1000, 0, n) / 1000</c> and the shift in float64, then float32. The last
    /// sigma is 0, so the last step moves nothing and is not run: 9 steps are 8 transformer calls, the same 8 steps as
    /// <see cref="Current"/> with n = 8.
    /// </summary>
    Legacy,
}
