// The launch_presets table: a user's named sets of form values for one app.
import type { FormFieldValue } from '@vizportal/session-domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'launch_presets' })
export class LaunchPresetEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  username!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  appId!: string;

  @PrimaryColumn({ type: 'varchar', length: 60 })
  name!: string;

  @Column({ name: 'fieldValues', type: 'simple-json' })
  values!: Record<string, FormFieldValue>;

  @Column({ type: Date })
  savedAt!: Date;
}
