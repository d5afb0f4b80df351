import { nextSteps } from '../../next-steps';

describe("scripts/new-app's Next: hint", () => {
  test('when an app with a route and a Redis of its own is made, then the steps go commit, push into a running dev (its binding created there), or start dev, then the pipeline', () => {
    const steps = nextSteps({ name: 'notes', route: '/api/notes', redis: 'notes-db', port: '8080' });

    expect(steps.map((line) => line.trim().split(/ {2,}/))).toEqual([
      ['new-app: notes is ready on /api/notes. Next:'],
      ['npx jest apps/notes', 'its tests (a real Redis is started for them)'],
      ['git add -A && git commit -m "notes: a new app"', "the pipeline's bump refuses uncommitted changes"],
      ['scripts/push dev', 'dev already running: pushes notes into it and creates notes-db there, no restart'],
      ['npm start', 'dev not running: starts it with notes; then curl -i http://localhost:8080/api/notes'],
      ['scripts/pipeline --target local', 'test, bump, staging, journeys, production'],
    ]);
  });

  test('when the app has no route and no Redis of its own, then the steps say scripts/status and name no binding', () => {
    const steps = nextSteps({ name: 'mailer', route: undefined, redis: undefined, port: '8080' });

    expect(steps[0]).toBe('new-app: mailer is ready. Next:');
    expect(steps.find((line) => line.includes('scripts/push dev'))).toMatch(/pushes mailer into it, no restart$/);
    expect(steps.find((line) => line.includes('npm start'))).toMatch(/then scripts\/status$/);
  });
});
