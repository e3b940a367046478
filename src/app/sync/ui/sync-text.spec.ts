import { aRound } from './sync-ui-testing';
import { describeRound, describeRoundDirections, effectiveValue, fieldLabel, formatValue, hintBeyond, relativeTime } from './sync-text';

describe('sync texts', () => {
  it('says what a round moved, both ways added up per type, or that everything is up to date', () => {
    expect(describeRound(aRound({ task: 5 }))).toBe('Received 5 items');
    expect(describeRound(aRound({ task: 1 }, { task: 1, project: 1 }))).toBe('Received 1 item · sent 2 items');
    expect(describeRound(aRound({}, { metric: 1 }))).toBe('Sent 1 item');
    expect(describeRound(aRound({}))).toBe('Up to date');
    expect(describeRound(aRound({ task: 12, project: 3, tag: 3, metric: 2 }))).toBe('Received 20 items');
    // The toolbar's totals are the menu's breakdown added up, never a direction counted twice.
    expect(describeRoundDirections(aRound({ task: 1 }, { task: 1, project: 1 }))).toBe('Received 1 task · sent 1 task, 1 project');
    expect(describeRoundDirections(aRound({ task: 2 }, { project: 1 }))).toBe('Received 2 tasks · sent 1 project');
  });

  it('adds what to check to an error, unless its message already says it', () => {
    expect(hintBeyond({ code: 'auth', message: 'The server refused the login (401).' })).toContain('Check the user name and password');
    expect(hintBeyond({ code: 'auth', message: 'The server refused the login (401). Check the user name and password.' })).toBe('');
    expect(hintBeyond({ errorCode: 'cors', message: 'The browser blocked the request.' })).toContain('expose ETag');
  });

  it('tells time relative to now', () => {
    const now = Date.UTC(2026, 10, 25, 12, 0);
    expect(relativeTime(now - 10_000, now)).toBe('just now');
    expect(relativeTime(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(relativeTime(now - 2 * 3600_000, now)).toBe('2 h ago');
    expect(relativeTime(now - 26 * 3600_000, now)).toBe('yesterday');
  });

  it('labels fields for people, delete against edit included', () => {
    expect(fieldLabel('title')).toBe('Title');
    expect(fieldLabel('isDone')).toBe('Done');
    expect(fieldLabel('timeSpentOnDay/2026-11-24')).toBe('Time spent on 2026-11-24');
    expect(fieldLabel('_del')).toBe('Deleted on one device, edited on another');
  });

  it('formats booleans, durations, moments and maps readably', () => {
    expect(formatValue('isDone', true)).toBe('Done');
    expect(formatValue('isArchived', false)).toBe('Not archived');
    expect(formatValue('timeEstimate', 90 * 60_000)).toBe('1h 30m');
    expect(formatValue('timeSpentOnDay/2026-11-24', 45 * 60_000)).toBe('45m');
    expect(formatValue('timeSpentOnDay', { '2026-11-24': 3600_000, '2026-11-25': 30 * 60_000 })).toBe('2026-11-24: 1h\n2026-11-25: 30m');
    expect(formatValue('theme', { primary: '#673ab7' })).toBe('primary: #673ab7');
    expect(formatValue('notes', '')).toBe('(empty)');
    expect(formatValue('doneOn', Date.UTC(2026, 10, 25, 9, 0))).toMatch(/25/);
    expect(formatValue('_del', true)).toBe('Deleted');
    expect(formatValue('_del', false)).toBe('Kept, with an edit');
  });

  it('treats the edit as the value in effect when a delete raced it, whatever the stamps say', () => {
    const deleted = { value: true, device: 'a', at: 2, stamp: 's2' };
    const edited = { value: false, device: 'b', at: 1, stamp: 's1' };
    expect(effectiveValue('_del', deleted, [edited])).toBe(edited);
    expect(effectiveValue('title', deleted, [edited])).toBe(deleted);
  });
});
