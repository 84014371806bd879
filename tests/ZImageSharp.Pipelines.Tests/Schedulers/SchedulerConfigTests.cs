using ZImageSharp.Models;
using ZImageSharp.Pipelines.Schedulers;

namespace ZImageSharp.Pipelines.Tests.Schedulers;

/// <summary>scheduler_config.json parsing: defaults, ignored fields, rejected options, clear errors.</summary>
public sealed class SchedulerConfigTests
{
    // What the Z-Image-Turbo repository ships (spec 1.1, third-party copies).
    private const string TurboJson = """
        {"_class_name": "FlowMatchEulerDiscreteScheduler", "_diffusers_version": "0.36.0.dev0",
         "num_train_timesteps": 1000, "shift": 3.0, "use_dynamic_shifting": false}
        """;

    [Fact]
    public void TurboConfig_EqualsTheBuiltInPreset()
    {
        var config = FlowMatchSchedulerConfig.Parse(TurboJson, "scheduler_config.json");
        Assert.Equal(FlowMatchSchedulerConfig.ZImageTurbo, config);
        Assert.Equal(3.0, config.Shift);
        Assert.Equal(1000, config.NumTrainTimesteps);
        Assert.False(config.UseDynamicShifting);
    }

    [Fact]
    public void FullDiffusersConfig_WithNullsAndUnknownFields_Parses()
    {
        const string json = """
            {"num_train_timesteps": 1000, "shift": 3.0, "use_dynamic_shifting": false, "base_shift": 0.5,
             "max_shift": 1.15, "base_image_seq_len": 256, "max_image_seq_len": 4096, "invert_sigmas": false,
             "shift_terminal": null, "use_karras_sigmas": false, "use_exponential_sigmas": false,
             "use_beta_sigmas": false, "time_shift_type": "exponential", "stochastic_sampling": false,
             "some_future_option": [1, 2, 3]}
            """;
        Assert.Equal(FlowMatchSchedulerConfig.ZImageTurbo, FlowMatchSchedulerConfig.Parse(json, "full.json"));
    }

    [Fact]
    public void MissingFields_TakeTheDiffusersClassDefaults()
    {
        var config = FlowMatchSchedulerConfig.Parse("{}", "empty.json");
        Assert.Equal(1.0, config.Shift); // the class default, not Z-Image's 3.0
        Assert.Equal(1000, config.NumTrainTimesteps);
        Assert.Equal(0.5, config.BaseShift);
        Assert.Equal(1.15, config.MaxShift);
        Assert.Equal(256, config.BaseImageSeqLen);
        Assert.Equal(4096, config.MaxImageSeqLen);
    }

    [Theory]
    [InlineData("use_dynamic_shifting", "true")]
    [InlineData("invert_sigmas", "true")]
    [InlineData("use_karras_sigmas", "true")]
    [InlineData("use_exponential_sigmas", "true")]
    [InlineData("use_beta_sigmas", "true")]
    [InlineData("stochastic_sampling", "true")]
    [InlineData("shift_terminal", "0.02")]
    [InlineData("_class_name", "\"FlowMatchHeunDiscreteScheduler\"")]
    public void UnsupportedOptions_AreRejected_NamingTheField(string field, string value)
    {
        var e = Assert.Throws<NotSupportedException>(() => FlowMatchSchedulerConfig.Parse($$"""{"shift": 3.0, "{{field}}": {{value}}}""", "cfg.json"));
        Assert.Contains($"'{field}'", e.Message);
        Assert.Contains("cfg.json", e.Message);
    }

    [Theory]
    [InlineData("shift_terminal", "0.0")]
    [InlineData("use_karras_sigmas", "false")]
    [InlineData("time_shift_type", "\"linear\"")]
    public void OptionsThatAreOff_AreAccepted(string field, string value)
    {
        var config = FlowMatchSchedulerConfig.Parse($$"""{"shift": 3.0, "{{field}}": {{value}}}""", "cfg.json");
        Assert.Equal(FlowMatchSchedulerConfig.ZImageTurbo, config);
    }

    [Theory]
    [InlineData("""{"shift": "3"}""", "'shift'")]
    [InlineData("""{"num_train_timesteps": 1000.5}""", "'num_train_timesteps'")]
    [InlineData("""{"num_train_timesteps": 0}""", "'num_train_timesteps'")]
    [InlineData("""{"shift": -1}""", "'shift'")]
    [InlineData("""{"use_beta_sigmas": 1}""", "'use_beta_sigmas'")]
    [InlineData("""{"base_image_seq_len": 4096}""", "'base_image_seq_len'")]
    [InlineData("""[1, 2]""", "not a JSON object")]
    [InlineData("""{"shift": 3.0""", "not valid JSON")]
    public void BadValues_ThrowConfigException_NamingFileAndField(string json, string mention)
    {
        var e = Assert.Throws<ConfigException>(() => FlowMatchSchedulerConfig.Parse(json, "bad.json"));
        Assert.Contains(mention, e.Message);
        Assert.Equal("bad.json", e.Source);
    }

    [Fact]
    public void Load_ReadsAFile_AndNamesAMissingOne()
    {
        string path = Path.Combine(Path.GetTempPath(), $"zimage-scheduler-{Environment.ProcessId}.json");
        try
        {
            File.WriteAllText(path, TurboJson);
            Assert.Equal(FlowMatchSchedulerConfig.ZImageTurbo, FlowMatchSchedulerConfig.Load(path));
        }
        finally
        {
            File.Delete(path);
        }

        var e = Assert.Throws<ConfigException>(() => FlowMatchSchedulerConfig.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Scheduler_RejectsAHandBuiltDynamicShiftingConfig()
    {
        var config = FlowMatchSchedulerConfig.ZImageTurbo with { UseDynamicShifting = true };
        Assert.Throws<NotSupportedException>(() => new FlowMatchEulerScheduler(config));
    }

    [Theory]
    [InlineData(4096, 1.15)]
    [InlineData(256, 0.5)]
    public void CalculateShift_IsTheLineThroughBaseAndMax(int seqLen, double mu)
    {
        Assert.Equal(mu, FlowMatchSchedulerConfig.ZImageTurbo.CalculateShift(seqLen), 1e-15);
    }
}
