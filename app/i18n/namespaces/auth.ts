import { namespace } from "../namespace";

export const auth = namespace({}, {});
