/**
 * The pipeline an entity moves through, read from the current metadata
 * snapshot (`features.pipeline` names it; it must be defined for the same
 * entity). Absent while an administrator has declared the feature but not
 * yet defined the pipeline: records then have no stage.
 */
import type { MetadataSnapshot } from '../metadata/registry.ts';
import type { EntityDefinition, PipelineDefinition, StageDefinition } from '../metadata/types.ts';

export function pipelineOf(snapshot: MetadataSnapshot, entity: EntityDefinition): PipelineDefinition | undefined {
  const name = entity.features?.pipeline;
  if (!name) return undefined;
  const pipeline = snapshot.byKind<PipelineDefinition>('pipeline').get(name)?.definition;
  return pipeline && pipeline.entity === entity.name ? pipeline : undefined;
}

export function stageOf(pipeline: PipelineDefinition, name: unknown): StageDefinition | undefined {
  return typeof name === 'string' ? pipeline.stages.find((stage) => stage.name === name) : undefined;
}

/** Where new records start. */
export function firstStage(pipeline: PipelineDefinition): StageDefinition {
  return pipeline.stages[0]!;
}
