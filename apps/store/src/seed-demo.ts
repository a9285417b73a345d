import { Logger } from '@nestjs/common';
import { INestApplication } from '@nestjs/common';
import { IngestService } from '@app/ingest';
import { DEMO_AGENT_ID, DEMO_USER_ID, demoEvents } from './demo-sessions';

/** Sends the demo sessions through the ingest service (validation, the log) and says how to look at them. */
export async function seedDemo(app: INestApplication, baseUrl: string): Promise<void> {
  const logger = new Logger('Demo');
  const { accepted } = await app.get(IngestService).ingest({ events: demoEvents() });
  logger.log(`${accepted} demo events are in the log (seeding again adds nothing); list them with:`);
  logger.log(`curl -H 'x-user-id: ${DEMO_USER_ID}' '${baseUrl}/sessions/?agent_id=${DEMO_AGENT_ID}'`);
  logger.log(`or open ${baseUrl}/console/ in a browser as user ${DEMO_USER_ID}, agent ${DEMO_AGENT_ID}`);
}
