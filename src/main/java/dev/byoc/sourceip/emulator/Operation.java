package dev.byoc.sourceip.emulator;

/** A handler for one method on one path template. */
@FunctionalInterface
interface Operation {
  Reply handle(Call call);
}
