namespace ZImageSharp.IO.Tests.Support;

/// <summary>
/// One builder per way a safetensors file can be invalid. Each writes the file into a folder and returns its path.
/// Shared (linked) with the CLI tests, which check that `zimage info` reports each one as one error line.
/// </summary>
public static class MalformedFiles
{
    /// <summary>Name → builder, for theories over every case.</summary>
    public static IReadOnlyDictionary<string, Func<string, string>> All { get; } = new Dictionary<string, Func<string, string>>
    {
        ["empty-file"] = EmptyFile,
        ["shorter-than-8-bytes"] = ShorterThan8Bytes,
        ["header-length-beyond-file"] = HeaderLengthBeyondFile,
        ["header-not-utf8"] = HeaderNotUtf8,
        ["header-not-json"] = HeaderNotJson,
        ["header-not-object"] = HeaderNotObject,
        ["header-trailing-content"] = HeaderTrailingContent,
        ["entry-not-object"] = EntryNotObject,
        ["missing-dtype"] = MissingDType,
        ["missing-shape"] = MissingShape,
        ["missing-data-offsets"] = MissingDataOffsets,
        ["dtype-not-string"] = DTypeNotString,
        ["shape-not-array"] = ShapeNotArray,
        ["data-offsets-not-array"] = DataOffsetsNotArray,
        ["data-offsets-three-values"] = DataOffsetsThreeValues,
        ["negative-size"] = NegativeSize,
        ["negative-offset"] = NegativeOffset,
        ["fractional-size"] = FractionalSize,
        ["exponent-size"] = ExponentSize,
        ["size-not-number"] = SizeNotNumber,
        ["unknown-dtype"] = UnknownDType,
        ["lowercase-dtype"] = LowercaseDType,
        ["size-mismatch"] = SizeMismatch,
        ["sub-byte-size"] = SubByteSize,
        ["element-count-overflow"] = ElementCountOverflow,
        ["begin-after-end"] = BeginAfterEnd,
        ["overlapping-offsets"] = OverlappingOffsets,
        ["hole-between-tensors"] = HoleBetweenTensors,
        ["not-starting-at-zero"] = NotStartingAtZero,
        ["truncated-data"] = TruncatedData,
        ["trailing-bytes"] = TrailingBytes,
        ["duplicate-tensor-name"] = DuplicateTensorName,
        ["duplicate-field"] = DuplicateField,
        ["metadata-not-object"] = MetadataNotObject,
        ["metadata-value-not-string"] = MetadataValueNotString,
        ["metadata-duplicate-key"] = MetadataDuplicateKey,
    };

    public static string EmptyFile(string dir) => RawSafetensors.WriteBytes(dir, "empty", []);

    public static string ShorterThan8Bytes(string dir) => RawSafetensors.WriteBytes(dir, "short", [1, 2, 3]);

    public static string HeaderLengthBeyondFile(string dir) => RawSafetensors.Write(dir, "header-beyond", "{}", 0, headerLength: 1000);

    public static string HeaderNotUtf8(string dir) =>
        RawSafetensors.WriteBytes(dir, "not-utf8", RawSafetensors.Build([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []));

    public static string HeaderNotJson(string dir) => RawSafetensors.Write(dir, "not-json", "{\"a\": {\"dtype\": ", 0);

    public static string HeaderNotObject(string dir) => RawSafetensors.Write(dir, "not-object", "[1, 2, 3]", 0);

    public static string HeaderTrailingContent(string dir) => RawSafetensors.Write(dir, "trailing-json", "{} {}", 0);

    public static string EntryNotObject(string dir) => RawSafetensors.Write(dir, "entry-not-object", "{\"w\": [1, 2]}", 0);

    public static string MissingDType(string dir) => RawSafetensors.Write(dir, "missing-dtype", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4);

    public static string MissingShape(string dir) => RawSafetensors.Write(dir, "missing-shape", "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4);

    public static string MissingDataOffsets(string dir) => RawSafetensors.Write(dir, "missing-offsets", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4);

    public static string DTypeNotString(string dir) => Entry(dir, "dtype-number", "32", "[1]", "[0,4]", 4);

    public static string ShapeNotArray(string dir) => Entry(dir, "shape-string", "\"F32\"", "\"1\"", "[0,4]", 4);

    public static string DataOffsetsNotArray(string dir) => Entry(dir, "offsets-object", "\"F32\"", "[1]", "{\"begin\":0}", 4);

    public static string DataOffsetsThreeValues(string dir) => Entry(dir, "offsets-three", "\"F32\"", "[1]", "[0,4,8]", 4);

    public static string NegativeSize(string dir) => Entry(dir, "negative-size", "\"F32\"", "[-1]", "[0,4]", 4);

    public static string NegativeOffset(string dir) => Entry(dir, "negative-offset", "\"F32\"", "[1]", "[-4,0]", 4);

    public static string FractionalSize(string dir) => Entry(dir, "fractional-size", "\"F32\"", "[1.5]", "[0,4]", 4);

    public static string ExponentSize(string dir) => Entry(dir, "exponent-size", "\"F32\"", "[1e0]", "[0,4]", 4);

    public static string SizeNotNumber(string dir) => Entry(dir, "size-string", "\"F32\"", "[\"1\"]", "[0,4]", 4);

    public static string UnknownDType(string dir) => Entry(dir, "unknown-dtype", "\"F33\"", "[1]", "[0,4]", 4);

    public static string LowercaseDType(string dir) => Entry(dir, "lowercase-dtype", "\"f32\"", "[1]", "[0,4]", 4);

    public static string SizeMismatch(string dir) => Entry(dir, "size-mismatch", "\"F32\"", "[3]", "[0,8]", 8);

    public static string SubByteSize(string dir) => Entry(dir, "sub-byte", "\"F4\"", "[3]", "[0,2]", 2);

    public static string ElementCountOverflow(string dir) => Entry(dir, "overflow", "\"F32\"", "[4294967296, 4294967296]", "[0,4]", 4);

    public static string BeginAfterEnd(string dir) => Entry(dir, "begin-after-end", "\"F32\"", "[1]", "[4,0]", 4);

    public static string OverlappingOffsets(string dir) =>
        RawSafetensors.Write(dir, "overlap", $"{{{RawSafetensors.F32("a", 0, 2)},{RawSafetensors.F32("b", 4, 2)}}}", 12);

    public static string HoleBetweenTensors(string dir) =>
        RawSafetensors.Write(dir, "hole", $"{{{RawSafetensors.F32("a", 0, 1)},{RawSafetensors.F32("b", 8, 1)}}}", 12);

    public static string NotStartingAtZero(string dir) => RawSafetensors.Write(dir, "not-at-zero", $"{{{RawSafetensors.F32("a", 4, 1)}}}", 8);

    public static string TruncatedData(string dir) => RawSafetensors.Write(dir, "truncated", $"{{{RawSafetensors.F32("a", 0, 4)}}}", 10);

    public static string TrailingBytes(string dir) => RawSafetensors.Write(dir, "trailing-bytes", $"{{{RawSafetensors.F32("a", 0, 1)}}}", 9);

    public static string DuplicateTensorName(string dir) =>
        RawSafetensors.Write(dir, "duplicate-name", $"{{{RawSafetensors.F32("a", 0, 1)},{RawSafetensors.F32("a", 4, 1)}}}", 8);

    public static string DuplicateField(string dir) =>
        RawSafetensors.Write(dir, "duplicate-field", "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);

    public static string MetadataNotObject(string dir) =>
        RawSafetensors.Write(dir, "metadata-string", $"{{\"__metadata__\":\"pt\",{RawSafetensors.F32("a", 0, 1)}}}", 4);

    public static string MetadataValueNotString(string dir) =>
        RawSafetensors.Write(dir, "metadata-number", $"{{\"__metadata__\":{{\"total\":5}},{RawSafetensors.F32("a", 0, 1)}}}", 4);

    public static string MetadataDuplicateKey(string dir) =>
        RawSafetensors.Write(dir, "metadata-duplicate", $"{{\"__metadata__\":{{\"k\":\"1\",\"k\":\"2\"}},{RawSafetensors.F32("a", 0, 1)}}}", 4);

    private static string Entry(string dir, string name, string dtype, string shape, string offsets, int dataLength) =>
        RawSafetensors.Write(dir, name, $"{{\"w\":{{\"dtype\":{dtype},\"shape\":{shape},\"data_offsets\":{offsets}}}}}", dataLength);}
