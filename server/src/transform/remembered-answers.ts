/**
 * A yes/no question about short strings asked for every record (is this an IP address?), its
 * answers remembered: a server sees few distinct addresses, and a Map lookup (about 20 ns) costs
 * less than reading the address again (Elasticsearch's address rules took about 170 ns a line).
 * Bounded in entries (emptied when full, which a server's addresses seldom fill) and in entry
 * size: longer strings (a record's field may be a megabyte long) are answered, not remembered.
 */
const REMEMBERED = 10_000;
const LONGEST_REMEMBERED = 64;

export class RememberedAnswers {
  private readonly answers = new Map<string, boolean>();
  constructor(private readonly question: (text: string) => boolean) {}

  answer(text: string): boolean {
    if (text.length > LONGEST_REMEMBERED) return this.question(text);
    let known = this.answers.get(text);
    if (known === undefined) {
      if (this.answers.size >= REMEMBERED) this.answers.clear();
      known = this.question(text);
      this.answers.set(text, known);
    }
    return known;
  }
}
