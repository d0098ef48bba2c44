/**
 * Identity tickets, shared by the relay (which signs them) and the cluster agent (which verifies
 * them and follows the relay's key announcements).
 */
export { ReplayCache } from '../agents/agent-assertion.js';
export {
  importSigningKey,
  readFirstKeyAnnouncement,
  signIdentityTicket,
  signKeyAnnouncement,
  type TicketExpectations,
  TicketRejectedError,
  type TicketSigningKey,
  type TicketSubject,
  verifyIdentityTicket,
  verifyKeyAnnouncement,
} from './identity-ticket.js';
