using ZImageSharp.IO.Safetensors;
using ZImageSharp.IO.Tests.Support;

namespace ZImageSharp.IO.Tests.Safetensors;

/// <summary>Every structural rule of the format, violated once: each must fail with a message naming the file and the problem.</summary>
public sealed class MalformedFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_EmptyFile_Rejected() => Rejected(MalformedFiles.EmptyFile, "has 0 bytes, fewer than the 8-byte");

    [Fact]
    public void Open_FileShorterThan8Bytes_Rejected() => Rejected(MalformedFiles.ShorterThan8Bytes, "has 3 bytes, fewer than the 8-byte");

    [Fact]
    public void Open_HeaderLengthBeyondFile_Rejected() => Rejected(MalformedFiles.HeaderLengthBeyondFile, "header length 1000 exceeds the file size");

    [Fact]
    public void Open_HeaderLengthAbove100MB_Rejected()
    {
        // A sparse file: large enough that the length fits the file, so the 100 MB limit is what rejects it.
        string path = _dir.File("huge-header.safetensors");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.Write(BitConverter.GetBytes(100_000_001UL));
            stream.SetLength(8 + 100_000_016);
        }

        Rejected(_ => path, "header length 100000001 exceeds the limit of 100000000 bytes");
    }

    [Fact]
    public void Open_HeaderNotUtf8_Rejected() => Rejected(MalformedFiles.HeaderNotUtf8, "header is not valid UTF-8");

    [Fact]
    public void Open_HeaderNotJson_Rejected() => Rejected(MalformedFiles.HeaderNotJson, "header is not valid JSON");

    [Fact]
    public void Open_HeaderNotAnObject_Rejected() => Rejected(MalformedFiles.HeaderNotObject, "header is not a JSON object");

    [Fact]
    public void Open_HeaderWithContentAfterObject_Rejected() => Rejected(MalformedFiles.HeaderTrailingContent, "header is not valid JSON");

    [Fact]
    public void Open_EntryNotAnObject_Rejected() => Rejected(MalformedFiles.EntryNotObject, "the entry must be an object, found an array", "w");

    [Fact]
    public void Open_EntryWithoutDType_Rejected() => Rejected(MalformedFiles.MissingDType, "has no 'dtype'", "w");

    [Fact]
    public void Open_EntryWithoutShape_Rejected() => Rejected(MalformedFiles.MissingShape, "has no 'shape'", "w");

    [Fact]
    public void Open_EntryWithoutDataOffsets_Rejected() => Rejected(MalformedFiles.MissingDataOffsets, "has no 'data_offsets'", "w");

    [Fact]
    public void Open_DTypeNotAString_Rejected() => Rejected(MalformedFiles.DTypeNotString, "'dtype' must be a string, found a number", "w");

    [Fact]
    public void Open_ShapeNotAnArray_Rejected() => Rejected(MalformedFiles.ShapeNotArray, "'shape' must be an array of integers, found a string", "w");

    [Fact]
    public void Open_DataOffsetsNotAnArray_Rejected() => Rejected(MalformedFiles.DataOffsetsNotArray, "'data_offsets' must be an array of integers, found an object", "w");

    [Fact]
    public void Open_DataOffsetsWithThreeValues_Rejected() => Rejected(MalformedFiles.DataOffsetsThreeValues, "must hold 2 integers [begin, end], found 3", "w");

    [Fact]
    public void Open_NegativeSize_Rejected() => Rejected(MalformedFiles.NegativeSize, "'shape'[0] is negative (-1)", "w");

    [Fact]
    public void Open_NegativeOffset_Rejected() => Rejected(MalformedFiles.NegativeOffset, "'data_offsets'[0] is negative (-4)", "w");

    [Fact]
    public void Open_FractionalSize_Rejected() => Rejected(MalformedFiles.FractionalSize, "'shape'[0] is not an integer in range (1.5)", "w");

    [Fact]
    public void Open_ExponentNotationSize_Rejected() => Rejected(MalformedFiles.ExponentSize, "'shape'[0] is not an integer in range (1e0)", "w");

    [Fact]
    public void Open_SizeNotANumber_Rejected() => Rejected(MalformedFiles.SizeNotNumber, "'shape'[0] must be an integer, found a string", "w");

    [Fact]
    public void Open_UnknownDType_Rejected() => Rejected(MalformedFiles.UnknownDType, "unknown dtype 'F33'", "w");

    [Fact]
    public void Open_LowercaseDType_Rejected() => Rejected(MalformedFiles.LowercaseDType, "unknown dtype 'f32'", "w");

    [Fact]
    public void Open_ShapeTimesDTypeNotByteLength_Rejected() =>
        Rejected(MalformedFiles.SizeMismatch, "shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] span 8", "w");

    [Fact]
    public void Open_SubByteDTypeWithPartialByte_Rejected() => Rejected(MalformedFiles.SubByteSize, "3 elements of F4 are not a whole number of bytes", "w");

    [Fact]
    public void Open_ElementCountOverflow_Rejected() => Rejected(MalformedFiles.ElementCountOverflow, "more elements than a 64-bit count can hold", "w");

    [Fact]
    public void Open_OffsetsBeginAfterEnd_Rejected() => Rejected(MalformedFiles.BeginAfterEnd, "data_offsets [4, 0] begin after they end", "w");

    [Fact]
    public void Open_OverlappingOffsets_Rejected() => Rejected(MalformedFiles.OverlappingOffsets, "data_offsets [4, 12] overlap those of tensor 'a' [0, 8]", "b");

    [Fact]
    public void Open_HoleBetweenTensors_Rejected() => Rejected(MalformedFiles.HoleBetweenTensors, "leave a hole of 4 unused bytes after tensor 'a' [0, 4]", "b");

    [Fact]
    public void Open_DataNotStartingAtZero_Rejected() => Rejected(MalformedFiles.NotStartingAtZero, "does not start at offset 0: the first tensor begins at 4", "a");

    [Fact]
    public void Open_TruncatedData_Rejected() => Rejected(MalformedFiles.TruncatedData, "run past the end of the file: the data buffer has only 10 bytes (truncated file?)", "a");

    [Fact]
    public void Open_TrailingBytesAfterLastTensor_Rejected() => Rejected(MalformedFiles.TrailingBytes, "5 trailing bytes after the tensor data (the last tensor 'a' ends at 4");

    [Fact]
    public void Open_TrailingBytesWithNoTensors_Rejected() =>
        Rejected(dir => RawSafetensors.Write(dir, "only-data", "{}", 3), "3 trailing bytes after the tensor data (there are no tensors");

    [Fact]
    public void Open_DuplicateTensorName_Rejected() => Rejected(MalformedFiles.DuplicateTensorName, "appears twice in the header (duplicate JSON key)", "a");

    [Fact]
    public void Open_DuplicateEscapedTensorName_Rejected() =>
        Rejected(dir => RawSafetensors.Write(dir, "escaped-duplicate", $"{{{RawSafetensors.F32("a", 0, 1)},{RawSafetensors.F32("\\u0061", 4, 1)}}}", 8), "appears twice", "a");

    [Fact]
    public void Open_DuplicateFieldInEntry_Rejected() => Rejected(MalformedFiles.DuplicateField, "has the field 'dtype' twice", "w");

    [Fact]
    public void Open_MetadataNotAnObject_Rejected() => Rejected(MalformedFiles.MetadataNotObject, "'__metadata__' must be an object of strings, found a string");

    [Fact]
    public void Open_MetadataValueNotAString_Rejected() => Rejected(MalformedFiles.MetadataValueNotString, "'__metadata__' value of 'total' must be a string, found a number");

    [Fact]
    public void Open_MetadataDuplicateKey_Rejected() => Rejected(MalformedFiles.MetadataDuplicateKey, "'__metadata__' has the key 'k' twice");

    [Fact]
    public void Open_HeaderWithLoneSurrogateEscape_Rejected() =>
        Rejected(dir => RawSafetensors.Write(dir, "surrogate", "{\"\\ud800\":{}}", 0), "invalid string");

    [Fact]
    public void Open_EveryCatalogCase_ThrowsFormatExceptionNamingTheFile()
    {
        foreach ((string name, Func<string, string> build) in MalformedFiles.All)
        {
            string path = build(_dir.Path);
            var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
            Assert.True(e.Message.StartsWith(path + ": invalid safetensors file: ", StringComparison.Ordinal), $"{name}: {e.Message}");
            Assert.DoesNotContain('\n', e.Message);
        }
    }

    private void Rejected(Func<string, string> build, string problem, string? tensor = null)
    {
        string path = build(_dir.Path);
        var e = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains(path, e.Message);
        Assert.Contains(problem, e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.Equal(tensor, e.TensorName);
        if (tensor is not null)
        {
            Assert.Contains($"tensor '{tensor}'", e.Message);
        }
    }
}
