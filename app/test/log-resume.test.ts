import { describe, expect, it } from 'vitest';
import { LogResume, logTimeKey } from '../src/state/log-resume';

describe('logTimeKey', () => {
  it('orders times as they happened, whatever the fraction’s length or the zone', () => {
    const keys = [
      '2026-12-05T06:13:56Z',
      '2026-12-05T06:13:56.000000001Z',
      '2026-12-05T06:13:56.5Z',
      '2026-12-05T08:13:57+02:00',
    ].map(logTimeKey);
    expect(keys).toEqual([...keys].sort());
    expect(keys[3]).toBe('2026-12-05T06:13:57.000000000');
    expect(logTimeKey('not a time')).toBeUndefined();
  });
});

describe('LogResume', () => {
  it('passes whole lines on with their times, holding a line until it is complete', () => {
    const resume = new LogResume();
    expect(resume.take('2026-12-05T06:13:56.1Z first\n2026-12-05T06:13:56.2Z sec')).toBe(
      '2026-12-05T06:13:56.1Z first\n',
    );
    expect(resume.take('ond\n')).toBe('2026-12-05T06:13:56.2Z second\n');
    expect(resume.take('2026-12-05T06:13:57.3Z no newline yet')).toBe('');
    expect(resume.flush()).toBe('2026-12-05T06:13:57.3Z no newline yet');
  });

  it('resumes from the last line’s second and drops what was shown, even lines of the same time', () => {
    const resume = new LogResume();
    resume.take(
      '2026-12-05T06:13:55.9Z before\n' +
        '2026-12-05T06:13:56.1Z a\n' +
        '2026-12-05T06:13:56.5Z b\n' +
        '2026-12-05T06:13:56.5Z c\n' +
        '2026-12-05T06:13:56.5Z cut',
    );
    expect(resume.resumeFrom()).toBe('2026-12-05T06:13:56Z');
    // The resumed stream starts at the second: a, b and c again, then the cut line whole, then new.
    const shown = resume.take(
      '2026-12-05T06:13:56.1Z a\n' +
        '2026-12-05T06:13:56.5Z b\n' +
        '2026-12-05T06:13:56.5Z c\n' +
        '2026-12-05T06:13:56.5Z cut line\n' +
        '2026-12-05T06:13:58.0Z after\n',
    );
    expect(shown).toBe('2026-12-05T06:13:56.5Z cut line\n2026-12-05T06:13:58.0Z after\n');
  });

  it('has nothing to resume from before the first line', () => {
    expect(new LogResume().resumeFrom()).toBeUndefined();
  });
});
