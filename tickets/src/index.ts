/**
 * Identity tickets, shared by the relay (which signs them) and the cluster agent (which verifies
 * them and follows the relay's key announcements), and the replay memory both keep.
 */
export {
  importSigningKey,
  readFirstKeyAnnouncement,
  signIdentityTicket,
  signKeyAnnouncement,
  TICKET_CLOCK_TOLERANCE_SECONDS,
  type TicketExpectations,
  TicketRejectedError,
  type TicketSigningKey,
  type TicketSubject,
  verifyIdentityTicket,
  verifyKeyAnnouncement,
} from './identity-ticket.js';
export { ReplayCache } from './replay-cache.js';
