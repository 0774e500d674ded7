export { PeopleModule } from './people.module.js';
export { PeopleService } from './people.service.js';
export type { Membership, StoredInvitation, User } from './people.types.js';
