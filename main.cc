#include "agent/cli.h"
#include "agent/generator.h"
#include "stages/kargs_helper.h"
#include "stages/stage.h"

int main(int argc, char** argv) {
  if (int rc = flint::agent::GeneratorMain(argc, argv); rc >= 0) return rc;
  if (int rc = flint::stages::KargsHelperMain(argc, argv); rc >= 0) return rc;
  return flint::agent::Main(argc, argv, flint::stages::StageTable());
}
