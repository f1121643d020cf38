import { double, isCompiled, total } from "./store";

total(4).then((sum) => {
  console.log(JSON.stringify({ sum, compiled: isCompiled(total) && isCompiled(double) }));
});
