import { ApiProperty, ApiSchema } from '@nestjs/swagger';

const ANY_JSON = ['string', 'number', 'boolean', 'array', 'object', 'null'].map((type) => ({ type }));

// The bodies of error answers, as FastAPI documents them: `{"detail": "..."}` and the 422 `{"detail": [issue]}`.

@ApiSchema({ name: 'ValidationError' })
export class ValidationIssueSchema {
  @ApiProperty({ type: 'array', items: { anyOf: [{ type: 'string' }, { type: 'integer' }] } })
  loc!: (string | number)[];
  @ApiProperty() msg!: string;
  @ApiProperty() type!: string;
  @ApiProperty({
    description: 'The offending value as received (any JSON value); null when it was missing.',
    anyOf: ANY_JSON,
  })
  input!: unknown;
  @ApiProperty({
    required: false,
    type: Object,
    additionalProperties: true,
    description: 'The bound the input broke, e.g. `{"le": 200}`.',
  })
  ctx?: Record<string, unknown>;
}

@ApiSchema({ name: 'HTTPValidationError' })
export class ValidationErrorSchema {
  @ApiProperty({ type: () => [ValidationIssueSchema] }) detail!: ValidationIssueSchema[];
}

@ApiSchema({ name: 'ErrorDetail' })
export class ErrorDetailSchema {
  @ApiProperty() detail!: string;
}
