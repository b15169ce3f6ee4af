#include "agent/cli.h"
#include "stages/stage.h"

int main(int argc, char** argv) {
  return flint::agent::Main(argc, argv, flint::stages::StageTable());
}
