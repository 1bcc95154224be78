/** The instant every test runtime believes it is. */
export const FIXED_NOW = new Date('2026-01-15T06:00:00.000Z');
