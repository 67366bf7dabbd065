import { namespace } from "../namespace";

export const account = namespace({}, {});
