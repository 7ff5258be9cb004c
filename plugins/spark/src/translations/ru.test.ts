import { en as nested } from './en';
import ru from './ru';

/** The English messages of the ref, flattened the way translations name them. */
function flatten(
  messages: Record<string, unknown>,
  prefix = '',
): Record<string, string> {
  return Object.entries(messages).reduce<Record<string, string>>(
    (all, [key, value]) =>
      typeof value === 'string'
        ? { ...all, [`${prefix}${key}`]: value }
        : {
            ...all,
            ...flatten(value as Record<string, unknown>, `${prefix}${key}.`),
          },
    {},
  );
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{(\w+)\}\}/g)].map(m => m[1]).sort();

describe('Russian messages', () => {
  const en = flatten(nested);

  it('cover every English message, with the same placeholders', () => {
    expect(Object.keys(en).length).toBeGreaterThan(100);
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const translated = (ru as Record<string, string>)[key];
      expect(translated.trim()).not.toBe('');
      expect({ key, placeholders: placeholders(translated) }).toEqual({
        key,
        placeholders: placeholders(text),
      });
    }
  });

  it('are Russian where the English is prose', () => {
    const prose = Object.keys(en).filter(key => en[key].split(' ').length > 3);
    for (const key of prose) {
      expect({
        key,
        cyrillic: /[а-яё]/i.test((ru as Record<string, string>)[key]),
      }).toEqual({
        key,
        cyrillic: true,
      });
    }
  });
});
