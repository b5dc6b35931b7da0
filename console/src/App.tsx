import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  createBrowserRouter,
  Navigate,
  NavLink,
  Outlet,
  useLocation,
  useNavigate,
  useRouteError,
} from 'react-router';
import { api, onUnauthorized, unwrap } from './api/client';
import { currentSession, logOut } from './api/session';
import { ErrorBox, Loading } from './components/ui';
import { SessionContext } from './components/session';
import { LoginPage } from './pages/LoginPage';
import { PaymentsPage } from './pages/PaymentsPage';
import { PaymentPage } from './pages/PaymentPage';
import { MerchantsPage } from './pages/MerchantsPage';
import { MerchantPage } from './pages/MerchantPage';
import { AcquirersPage } from './pages/AcquirersPage';
import { RoutingPage } from './pages/RoutingPage';
import { AccountPage } from './pages/AccountPage';
import { AccountsPage } from './pages/AccountsPage';
import { AuditPage } from './pages/AuditPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { can } from './lib/roles';
import { setMinorUnits } from './lib/money';
import { QUICK_SEARCH_PROBE, quickSearchTarget } from './lib/quickSearch';

export const SESSION_KEY = ['session'] as const;

/** The overview carries the chart library: loaded on its own, so the other pages start without it. */
const OverviewPage = lazy(() => import('./pages/OverviewPage').then((m) => ({ default: m.OverviewPage })));

/** The logged-in frame: navigation, quick search, the role, and the page. Not logged in → the login page. */
function Shell() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const session = useQuery({ queryKey: SESSION_KEY, queryFn: currentSession, staleTime: 60_000 });
  // Every amount is shown in the server's minor units (money.ts), so they are loaded before any page, once.
  const currencies = useQuery({
    queryKey: ['currencies'],
    queryFn: async () => {
      const table = await unwrap(api.GET('/admin-api/currencies'));
      setMinorUnits(table.minor_units);
      return table;
    },
    enabled: !!session.data,
    staleTime: Infinity,
  });
  const [menuOpen, setMenuOpen] = useState(false);
  const [searching, setSearching] = useState(false);

  useEffect(() => onUnauthorized(() => queryClient.setQueryData(SESSION_KEY, null)), [queryClient]);
  useEffect(() => setMenuOpen(false), [location.pathname]);

  if (session.isPending) return <Loading what="Checking your session" />;
  if (session.isError) return <ErrorBox error={session.error} retry={() => session.refetch()} />;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  if (currencies.isPending) return <Loading what="Loading the currencies" />;
  if (currencies.isError) return <ErrorBox error={currencies.error} retry={() => currencies.refetch()} />;
  const me = session.data;

  const search = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
    if (!q) return navigate('/payments');
    setSearching(true);
    try {
      const found = await unwrap(
        api.GET('/admin-api/payments', { params: { query: { q, limit: String(QUICK_SEARCH_PROBE) } } }),
      );
      navigate(quickSearchTarget(q, { total: found.total ?? 0, items: found.items ?? [] }));
    } catch {
      navigate(quickSearchTarget(q));
    } finally {
      setSearching(false);
    }
  };

  return (
    <SessionContext.Provider value={me}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/" className="brand" end>
          Payrail
        </NavLink>
        <button
          type="button"
          className="menu-toggle secondary small"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="nav" className={menuOpen ? 'open' : ''} aria-label="Main">
          <NavLink to="/" end>
            Overview
          </NavLink>
          <NavLink to="/payments">Payments</NavLink>
          <NavLink to="/merchants">Merchants</NavLink>
          <NavLink to="/webhooks">Webhooks</NavLink>
          <NavLink to="/acquirers">Acquirers</NavLink>
          <NavLink to="/routing">Routing</NavLink>
          <NavLink to="/audit">Audit log</NavLink>
          {can(me.role, 'manage-accounts') && <NavLink to="/accounts">Accounts</NavLink>}
          <NavLink to="/account">Account</NavLink>
        </nav>
        <form className="quick-search" role="search" onSubmit={search} aria-busy={searching}>
          <label className="visually-hidden" htmlFor="quick-q">
            Find a payment by id, order id or idempotency key
          </label>
          <input id="quick-q" name="q" type="search" placeholder="Payment id, order id or idempotency key" />
        </form>
        <div className="who">
          <span className="email" title={me.email}>
            {me.email}
          </span>{' '}
          <span className={`role role-${me.role}`} data-testid="role" title={me.email}>
            {me.role}
          </span>
          <button
            type="button"
            className="secondary small"
            onClick={async () => {
              await logOut().catch(() => undefined);
              queryClient.clear();
              queryClient.setQueryData(SESSION_KEY, null);
              navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </SessionContext.Provider>
  );
}

function RouteError() {
  const error = useRouteError();
  return (
    <main id="main">
      <ErrorBox error={error} />
    </main>
  );
}

function NotFound() {
  return (
    <div>
      <h1>Not found</h1>
      <p>
        No console page here. <NavLink to="/">Go to the overview</NavLink>.
      </p>
    </div>
  );
}

export const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
    {
      path: '/',
      element: <Shell />,
      errorElement: <RouteError />,
      children: [
        { index: true, element: <OverviewPage /> },
        { path: 'payments', element: <PaymentsPage /> },
        { path: 'payments/:paymentId', element: <PaymentPage /> },
        { path: 'merchants', element: <MerchantsPage /> },
        { path: 'merchants/:merchantId', element: <MerchantPage /> },
        { path: 'webhooks', element: <WebhooksPage /> },
        { path: 'acquirers', element: <AcquirersPage /> },
        { path: 'routing', element: <RoutingPage /> },
        { path: 'account', element: <AccountPage /> },
        { path: 'accounts', element: <AccountsPage /> },
        { path: 'audit', element: <AuditPage /> },
        { path: '*', element: <NotFound /> },
      ],
    },
  ],
  { basename: '/console' },
);
