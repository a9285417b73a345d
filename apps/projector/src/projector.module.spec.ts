import { loadConfig } from '@app/config';
import { KafkaProjectorModule, SqliteProjectorModule } from '@app/projection';
import { ProjectorModule } from './projector.module';

describe(ProjectorModule.name, () => {
  it("composes the profile's projector from the runtime registry, without branching on the profile", () => {
    const embedded = ProjectorModule.forRoot(loadConfig({}));
    const production = ProjectorModule.forRoot(
      loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092', MONGODB_URI: 'mongodb://127.0.0.1:27017/views' }),
    );
    expect(embedded.imports).toContain(SqliteProjectorModule);
    expect(embedded.imports).not.toContain(KafkaProjectorModule);
    expect(production.imports).toContain(KafkaProjectorModule);
  });
});
