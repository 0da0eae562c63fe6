using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Rendering;

/// <summary>Writes a <see cref="PageWalkReport"/> as the "pageatlas/walk" document.</summary>
public static class WalkJson
{
    /// <summary>Writes the whole document.</summary>
    public static void Write(Utf8JsonWriter json, PageWalkReport report, string command, MachineInfo machine)
    {
        json.WriteStartObject();
        JsonRecords.WriteHeader(json, "walk", report.Pid, command, machine, report.Visibility);
        JsonRecords.WriteHex(json, "address", report.Address);
        json.WriteString("state", JsonRecords.StateName(report.State));
        json.WriteStartArray("levels");
        foreach (var step in report.Steps)
        {
            json.WriteStartObject();
            json.WriteString("level", step.Level.ToString().ToUpperInvariant());
            json.WriteNumber("index", step.Index);
            JsonRecords.WriteHex(json, "spanStart", step.SpanStart);
            json.WriteNumber("spanBytes", step.SpanSize);
            json.WriteString("table", step.Table);
            json.WriteString("entry", step.State switch
            {
                WalkEntryState.Folded => "folded",
                WalkEntryState.NextTable => "next-table",
                WalkEntryState.Leaf => "leaf",
                WalkEntryState.SwapEntry => "swap-entry",
                WalkEntryState.MarkerEntry => "marker-entry",
                WalkEntryState.KernelHalf => "kernel-half",
                WalkEntryState.Empty => "empty",
                WalkEntryState.NotPresent => "not-present",
                _ => "no-populated-page",
            });
            WriteKernelStep(json, report.KernelStep(step.Level));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (report.LeafLevel is { } leaf) json.WriteString("leafLevel", leaf.ToString().ToUpperInvariant()); else json.WriteNull("leafLevel");
        if (report.LeafSize is { } size) json.WriteNumber("leafBytes", size); else json.WriteNull("leafBytes");
        if (report.Vma is not null)
        {
            json.WriteStartObject("page");
            JsonRecords.WritePageFields(json, report.Page, machine.PageSize, report.Visibility);
            json.WriteEndObject();
            JsonRecords.WriteVma(json, "vma", report.Vma);
        }
        if (report.PhysicalAddress is { } pa) JsonRecords.WriteHex(json, "physicalAddress", pa); else json.WriteNull("physicalAddress");
        JsonRecords.WriteStrings(json, "notes", report.Notes);
        json.WriteEndObject();
    }

    /// <summary>The kernel companion's reading of one level, or nulls where user space cannot see.</summary>
    private static void WriteKernelStep(Utf8JsonWriter json, KernelWalkStep? step)
    {
        if (step is null)
        {
            json.WriteNull("tablePhysicalAddress");
            json.WriteNull("entryPhysicalAddress");
            json.WriteNull("entryValue");
            json.WriteNull("entryBits");
            return;
        }
        JsonRecords.WriteHex(json, "tablePhysicalAddress", step.TablePhysical);
        JsonRecords.WriteHex(json, "entryPhysicalAddress", step.EntryPhysical);
        JsonRecords.WriteHex(json, "entryValue", step.Entry.Value);
        JsonRecords.WriteStrings(json, "entryBits", step.Entry.BitNames(step.Level));
    }
}
