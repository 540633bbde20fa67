/**
 * A question about short strings asked for every record (is this an IP address? the action of
 * this API path, the parse of this client), its answers remembered: a server sees few distinct
 * addresses, paths and clients, and a Map lookup (about 20 ns) costs less than answering again.
 * Bounded in entries (emptied when full, which a server's strings seldom fill) and in key size:
 * longer strings (a record's field may be a megabyte long) are answered, not remembered.
 */
export interface RememberedAnswersBounds {
  entries: number;
  longestKey: number;
}

export class RememberedAnswers<T> {
  private readonly answers = new Map<string, T>();

  constructor(private readonly question: (text: string) => T, private readonly bounds: RememberedAnswersBounds) {}

  answer(text: string): T {
    if (text.length > this.bounds.longestKey) return this.question(text);
    let known = this.answers.get(text);
    if (known === undefined) {
      if (this.answers.size >= this.bounds.entries) this.answers.clear();
      known = this.question(text);
      this.answers.set(text, known);
    }
    return known;
  }
}
