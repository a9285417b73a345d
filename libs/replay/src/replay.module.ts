import { Module } from '@nestjs/common';
import { SessionHistory } from './session-history';
import { ViewRebuilder } from './view-rebuilder';
import { ViewVerifier } from './view-verifier';

/** Needs EventArchive and ViewGenerations from the importing app's runtime module. */
@Module({
  providers: [SessionHistory, ViewRebuilder, ViewVerifier],
  exports: [SessionHistory, ViewRebuilder, ViewVerifier],
})
export class ReplayModule {}
