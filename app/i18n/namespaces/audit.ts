import { namespace } from "../namespace";

export const audit = namespace({}, {});
