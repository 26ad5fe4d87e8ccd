import type { Language } from '../../data/model.js';

/**
 * The language each person last wrote clearly in, so a message that could be several ("hjelp", "Gerica", a word
 * Bokmål and Nynorsk share) is answered in the language the person uses rather than their organisation's form.
 *
 * In memory, per process, keyed by the person's Entra object id, and bounded (the oldest person is forgotten first):
 * it is a preference that a restart may lose at no cost (the answer then follows the Teams locale and the
 * organisation, as before), so it is not worth a write to the conversation reference store on every message.
 */
export class LanguageMemory {
  private readonly entries = new Map<string, Language>();

  constructor(private readonly limit = 10_000) {}

  get(personKey: string | undefined): Language | undefined {
    return personKey === undefined ? undefined : this.entries.get(personKey.toLowerCase());
  }

  /** Remembers `language` for the person when the message was clearly in it; an unclear message changes nothing. */
  remember(personKey: string | undefined, language: Language | undefined): void {
    if (personKey === undefined || language === undefined) return;
    const key = personKey.toLowerCase();
    this.entries.delete(key);
    this.entries.set(key, language);
    if (this.entries.size > this.limit) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
