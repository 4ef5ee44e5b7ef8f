import { Link } from '../router/Link.tsx';
import { isWithin } from '../router/match.ts';
import { routes } from '../routes.tsx';
import './MainNav.css';

/** The sidebar's links, straight from the routes table (entries with a `nav` label). */
export function MainNav({ path }: { path: string }) {
  const items = routes.filter((route) => route.nav);
  return (
    <nav aria-label="Main" className="main-nav">
      <ul>
        {items.map((route) => {
          // A detail page (/accounts/acc_1) still belongs to its section's link.
          const active = isWithin(route.path, path);
          return (
            <li key={route.path}>
              <Link to={route.path} className="main-nav__link" aria-current={active ? 'page' : undefined}>
                {route.nav}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
