import { forgetOperatorToken, loadOperatorToken, saveOperatorToken } from './operator-token';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

describe('the operator token in the tab', () => {
  it('keeps the token as pasted, without a "Bearer " prefix, until forgotten', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    expect(loadOperatorToken(storage)).toBeNull();
    saveOperatorToken('  Bearer operator-token-0123456789 ', storage);
    expect(loadOperatorToken(storage)).toBe('operator-token-0123456789');
    forgetOperatorToken(storage);
    expect(loadOperatorToken(storage)).toBeNull();
  });
});
