import t from 'tap';
import { main } from '../src/cli/main.js';

t.test('cli shows help', async (t) => {
  t.equal(typeof main, 'function');
});
