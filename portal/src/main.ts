// Entry of the self-service portal page (built to dist/widget/portal.js). The server's page holds
// the portal's address and name as JSON in #vf-portal-config.
import './vf-portal.js';

const raw = document.getElementById('vf-portal-config')?.textContent;
const config = raw ? (JSON.parse(raw) as { address?: unknown; resourceName?: unknown }) : {};
if (typeof config.address === 'string') {
  const app = document.createElement('vf-portal');
  app.address = config.address;
  app.resourceName = typeof config.resourceName === 'string' ? config.resourceName : '';
  document.body.appendChild(app);
}
