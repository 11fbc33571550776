import { useEffect } from 'react';
import { useRunStore } from '../../store/run-store';
import { PlanForm } from '../plan/plan-form';
import { CourseMapping } from '../plan/course-mapping';

export function RunPanel() {
  const loadFromUrl = useRunStore((s) => s.loadFromUrl);
  const run = useRunStore((s) => s.run);
  const capstone = useRunStore((s) => s.plan.name === 'capstone');

  useEffect(() => {
    void loadFromUrl(window.location.search).then((autorun) => {
      if (!autorun) return;
      // The link's run is started once: a reload shows what it kept (and offers to resume) instead of starting it again.
      const url = new URL(window.location.href);
      url.searchParams.delete('autorun');
      window.history.replaceState(window.history.state, '', url);
      void run();
    });
  }, [loadFromUrl, run]);

  return (
    <section className="panel" aria-labelledby="run-heading">
      <h2 id="run-heading">Benchmark</h2>
      <PlanForm />
      {capstone && <CourseMapping />}
    </section>
  );
}
