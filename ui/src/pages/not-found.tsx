import { usePageTitle } from '../hooks.js';

export function NotFoundPage() {
  const heading = usePageTitle('Not found');
  return (
    <section>
      <h1 ref={heading} tabIndex={-1}>
        Nothing here
      </h1>
      <p>
        This address is not a page of the registry UI. <a href="#/subjects">Go to the subjects</a>.
      </p>
    </section>
  );
}
