using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ZImageSharp.Tokenizers;

namespace ZImageSharp.Benchmarks;

/// <summary>
/// Tokenizer load time (the real 11 MB Qwen3 tokenizer.json) and single-core encoding throughput on ~1 MB of mixed
/// English/Chinese/multilingual text built from the tokenizer fixture's cases. Throughput = TextBytes / mean time.
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    private string _path = "";
    private BpeTokenizer _tokenizer = null!;
    private string[] _prompts = [];

    /// <summary>UTF-8 size of the text encoded by <see cref="EncodeMixedText"/>.</summary>
    public static int TextBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = BenchmarkData.Fixture("tokenizer", "tokenizer.json");
        _tokenizer = BpeTokenizer.Load(_path);
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllText(BenchmarkData.Fixture("tokenizer", "cases.json")));
        var texts = cases.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).Where(t => t.Length > 0).ToList();
        texts.AddRange(cases.RootElement.GetProperty("chat_template_cases").EnumerateArray().Select(c => c.GetProperty("prompt").GetString()!));

        // Repeat the cases (with a counter, so the word cache does not see only repeats) up to ~1 MB, as prompts of ~1 KB.
        var prompts = new List<string>();
        int bytes = 0;
        for (int round = 0; bytes < 1 << 20; round++)
        {
            foreach (string t in texts)
            {
                string p = $"{t} #{round}";
                prompts.Add(p);
                bytes += Encoding.UTF8.GetByteCount(p);
            }
        }

        _prompts = [.. prompts];
        TextBytes = bytes;
        Console.WriteLine($"// tokenizer benchmark text: {_prompts.Length} prompts, {bytes:N0} UTF-8 bytes");
    }

    [Benchmark]
    public BpeTokenizer LoadTokenizerJson() => BpeTokenizer.Load(_path);

    [Benchmark]
    public int EncodeMixedText()
    {
        int count = 0;
        foreach (string p in _prompts)
        {
            count += _tokenizer.Encode(p).Length;
        }

        return count;
    }
}
