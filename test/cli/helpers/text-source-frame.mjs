// A minimal writer of record batches, as the CLI-INTERFACES contract describes them: each record
// laid out for its place, `ends` where records end, bytes after the last end the start of a
// record the next batch continues. Brackets and separators go around and between the records;
// JSON Lines get a newline after each; a `single` source's value is written bare.

/** The item separator and newlines of a layout (the library's defaults for the dialect). */
function frameOf(options) {
  const indent = options.indent == null ? null : typeof options.indent === 'number' ? ' '.repeat(Math.max(0, options.indent)) : options.indent;
  const itemSep = options.separators?.[0] ?? (indent === null && options.dialect === 'python' ? ', ' : ',');
  return { itemSep, newline: (depth) => (indent === null ? '' : '\n' + indent.repeat(depth)) };
}

/** Writes every batch of `source` through `write` (strings and byte arrays); resolves with the record count. */
export async function assemble(source, layout, write, signal = new AbortController().signal) {
  const { itemSep, newline } = frameOf(layout.options);
  let records = 0;
  let open = false;
  let single = false;
  let first = true;
  for await (const batch of source.batches(layout, signal)) {
    if (first) single = source.single;
    first = false;
    let start = 0;
    for (let i = 0; i <= batch.ends.length; i++) {
      const ends = i < batch.ends.length;
      const end = ends ? batch.ends[i] : batch.bytes.length;
      if (!ends && end === start) break;
      if (!open && !single && !layout.lines) write(records === 0 ? '[' + newline(1) : itemSep + newline(1));
      write(batch.bytes.subarray(start, end));
      open = !ends;
      if (ends) {
        records++;
        if (layout.lines) write('\n');
      }
      start = end;
    }
  }
  if (open) throw new Error('the last record has no end');
  if (!single && !layout.lines) write(records === 0 ? '[]' : newline(0) + ']');
  return records;
}
