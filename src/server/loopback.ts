/** Whether an address is on the loopback interface (127.0.0.0/8, ::1, IPv4-mapped loopback). */
export function isLoopbackAddress(addr: string | undefined): boolean {
  if (addr === undefined) return false;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}
