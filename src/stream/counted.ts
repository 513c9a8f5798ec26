/** A byte stream passed through as it is, telling `onBytes` the size of each chunk (for bytes-in accounting of streamed bodies). */
export async function* counted(src: AsyncIterable<Buffer>, onBytes: (n: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of src) {
    onBytes(chunk.length);
    yield chunk;
  }
}
