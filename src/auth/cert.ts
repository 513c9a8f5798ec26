import type { Principal } from './principal.ts';

/**
 * Client-certificate principals by subject CN. The CN is only trusted because the TLS layer
 * verified the certificate chain before handing it to us (the server passes only verified CNs).
 */
export class CertSubjects {
  constructor(private readonly byCn: ReadonlyMap<string, Principal>) {}

  get size(): number {
    return this.byCn.size;
  }

  lookup(subjectCn: string): Principal | undefined {
    return this.byCn.get(subjectCn);
  }
}
