using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cordial.LoadTest;

/// <summary>Source-generated JSON of the load test: the emulator's events and messages in, the report out.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(EmulatorEventWire))]
[JsonSerializable(typeof(EmulatorMessageWire))]
[JsonSerializable(typeof(LoadTestReport))]
internal sealed partial class LoadTestJsonContext : JsonSerializerContext;
